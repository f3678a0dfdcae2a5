"""sitegen: the ward's digital archive and digital-challenge site generator."""
__version__ = "0.1.0"
