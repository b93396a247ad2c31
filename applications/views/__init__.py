"""The applications' pages, one module per who uses them: `public` (anyone), `applicant`,
`contract` (the applicant signing), `engineer`, `counter` (clerks). One URL per action."""
