// Contract tests for the supabase plugin: being written.
