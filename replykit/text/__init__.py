"""Text handling: normalisation with offset maps, tokens and stems, phrases, language."""
