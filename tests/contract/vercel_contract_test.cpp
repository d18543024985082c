// Contract tests for the vercel plugin: being written.
