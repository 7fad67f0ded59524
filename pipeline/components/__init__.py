"""spaCy components of this package. Importing this module registers every factory.

Usable in any spaCy pipeline:

    import pipeline.components  # registers the factories
    nlp.add_pipe("diplo_people")
"""
from pipeline.components import (  # noqa: F401  (registration)
    agreements,
    commitments,
    entity_ruler,
    events,
    numeric_claims,
    paragraphs,
    people,
    projects,
)
from pipeline.extensions import register_extensions

register_extensions()
