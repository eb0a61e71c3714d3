"""sitegen: a static site generator for professional blogs, right-to-left first."""

__version__ = "0.1.0"
