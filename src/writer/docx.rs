//! The DOCX report (issue 4). Not written yet.
