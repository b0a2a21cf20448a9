"""align: offline translation, glossary enforcement, sentence alignment and TMX export."""

__version__ = "0.1.0"
