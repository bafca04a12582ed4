"""Data-quality gates: Great Expectations 1.x suites stored in expectations/, run on staging."""
