"""What frames an item's event words, read by decide.py: an explainer of the fighting (news
of it), a trial whose body retells the attack (background), an occasion a deployment is for
(routine), and whether an event word has the armed actor it needs. The dev set's boundary
kinds (docs/relevance.md, "The boundary round (16n)")."""

from __future__ import annotations

from dataclasses import replace

from bot.event.scan import Hit, Scan, near, one_sentence


def supported(h: Hit, armed: list) -> bool:
    """The event word needs no armed actor, or has one close enough."""
    return not h.cue.near_actor or near(h, armed, h.cue.near_actor)


def explainer(scan: Scan, topics: list[Hit], events: list[Hit], armed: list, settings) -> Hit | None:
    """An explainer whose headline names the fighting and no other topic is about it
    ("Analysis: how drones changed the fight for the front", "la guerre expliquée en 10
    points"): its marker counts as an event of that kind, at `explainer_weight`. One whose
    headline names another topic ("what the attacks mean for shipping costs", "peace talks")
    stays a topic, as opinion and history pieces do."""
    chosen, end = settings.explainer_topics, scan.title_end
    marks = [t for t in topics if t.first <= end and t.cue.topic in chosen]
    if not marks or any(t.first <= end and t.cue.topic not in chosen for t in topics):
        return None
    fighting = settings.explainer_kinds
    subject = [h for h in events if h.first <= end and h.cue.kind in fighting and supported(h, armed)]
    if not subject:
        return None
    # A label that frames ("Analysis:", "Décryptage :") needs a specific word of the fighting
    # or an armed actor beside it; a plain explainer ("explained", "ce que l'on sait") a
    # general one will do: "Analyse : la guerre, un conflit sans fin ?" is an essay.
    if all(m.cue.frames for m in marks) and not (
        any(h.cue.weight > 1 for h in subject) or near(subject[0], armed, 8)
    ):
        return None
    kind = max(subject, key=lambda h: h.cue.weight).cue.kind
    mark = marks[0]
    cue = replace(
        mark.cue, cls="event", kind=kind, weight=settings.explainer_weight, topic=None, frames=False
    )
    return mark._replace(cue=cue)


def for_occasion(h: Hit, occasions: list[Hit], scan: Scan, settings) -> bool:
    """A move of `occasion_kinds` near an occasion, in its sentence: its security arrangements
    ("troops deployed for the vote"). The next sentence's crowds are no occasion of a convoy
    the headline says protesters blocked."""
    return h.cue.kind in settings.occasion_kinds and any(
        near(h, [o], settings.occasion_window) and one_sentence(scan.text, h, o) for o in occasions
    )


def retold(events: list[Hit], framed: list[Hit], backgrounds: list[Hit], scan: Scan) -> bool:
    """The headline is a trial or an anniversary of an event: a court or history word in it,
    and every event word of the headline its background (`framed`: the same hits, weighed as
    background where they are): "Trial opens over the 2019 bombings", "Procès de l'attentat
    de Grand-Bassam". The body then retells that event."""
    end = scan.title_end
    if not any(b.cue.cls == "topic" and b.first <= end for b in backgrounds):
        return False
    head = [(h, f) for h, f in zip(events, framed, strict=True) if h.first <= end]
    return bool(head) and all(f.factor < h.factor for h, f in head)


def retelling(h: Hit, scan: Scan, settings) -> Hit:
    """The body's account of the event a trial's headline names is background too ("The
    blasts killed three people"); a plot the court hears stays news (`unframed`)."""
    if h.first <= scan.title_end or h.cue.unframed:
        return h
    return h._replace(factor=h.factor * settings.background_factor)
