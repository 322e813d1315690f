"""The prose of notes: citations, sentences, statements, quotes and their passages."""
