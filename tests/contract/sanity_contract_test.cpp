// Contract tests for the sanity plugin: being written.
