"""sitegen: a static site generator for professional blogs, right-to-left first."""

__version__ = "0.1.0"

DISTRIBUTION = "sitegen-blog"
"""sitegen's name on PyPI (`pip install sitegen-blog`; the command is `sitegen`): the name `sitegen` there belongs
to an unrelated project from 2010."""
