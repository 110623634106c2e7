"""劳模工匠云展: a static site generator for a model-worker cloud exhibition."""

__version__ = "0.1.0"
