"""news-incidents: news articles -> a gated DuckDB warehouse of ACLED-coded security incidents."""
