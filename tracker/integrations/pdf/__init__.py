"""The report for the referring physician as a PDF, made on the server with WeasyPrint."""
