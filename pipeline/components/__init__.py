"""spaCy components of this package. Importing this module registers every factory.

Usable in any spaCy pipeline:

    import pipeline.components  # registers the factories
    nlp.add_pipe("diplo_people")
"""
from pipeline.components import paragraphs, entity_ruler  # noqa: F401  (registration)
from pipeline.components import projects  # noqa: F401  (registration)
from pipeline.components import people  # noqa: F401  (registration)
from pipeline.components import agreements  # noqa: F401  (registration)
from pipeline.components import commitments  # noqa: F401  (registration)
from pipeline.components import numeric_claims  # noqa: F401  (registration)
from pipeline.components import events  # noqa: F401  (registration)
from pipeline.extensions import register_extensions

register_extensions()
