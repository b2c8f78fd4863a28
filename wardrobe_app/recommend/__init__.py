"""recommend package."""
