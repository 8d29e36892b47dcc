"""vpatient: a virtual neurology patient for learning to localize motor lesions."""

__version__ = "0.1.0"
