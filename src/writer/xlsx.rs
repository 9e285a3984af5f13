//! The consolidated XLSX appendix (issue 3). Not written yet.
