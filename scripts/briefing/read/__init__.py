"""Reading briefs/: YAML with positions, validated records, EDTF dates."""
