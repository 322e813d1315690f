"""What readers get from one analysis: site pages, the print document, open data."""
