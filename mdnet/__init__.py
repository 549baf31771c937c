"""mdnet: a networking campaign run from a folder of Markdown notes."""

__version__ = "0.1.0"
