"""A man's case file: his details, the agencies' workers involved with him, his children, and
the staff's case notes. Kept in one small file per man (data/casefile/<man>.json)."""
