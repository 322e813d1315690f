"""One analysis of the briefing that every output reads: statements with resolved citations,
facts compared, sourcing, and what changed between two analyses."""
