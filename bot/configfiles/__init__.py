"""Config files as people write them: YAML read safely with the line of every value, and
problems said in words (values as written, did-you-mean, pydantic errors as sentences)."""
