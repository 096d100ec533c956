"""One module per target language; each exposes `generate(spec) -> {relative path: text}`."""
