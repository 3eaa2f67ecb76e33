"""银色人才库 (Silver Talent Pool): the data models, loader, checks and tools of the pool."""

__version__ = "0.1.0"
