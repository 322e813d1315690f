"""The rules run over a loaded and analysed briefing, each reporting findings."""
