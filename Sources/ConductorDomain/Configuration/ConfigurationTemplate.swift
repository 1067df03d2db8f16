/// The commented `conductor.yml` that `git conductor init` can write when a repository has
/// none: every setting is present with its default, commented out, so the file changes
/// nothing until the user uncomments a line, and reads as a short reference meanwhile.
/// A test uncomments every setting and checks the result is exactly the built-in defaults.
public enum ConfigurationTemplate {
    public static let text = """
        # git-conductor settings for this repository (docs/configuration.md).
        # Uncomment and change what you need. Settings here are shared with everyone who
        # clones the repository; your own go in ~/.config/git-conductor/config.yml, this
        # clone's in git config (conductor.*), one shell's in CONDUCTOR_* variables.
        # Never put an API key here: name the variable that holds it with api_key_env.

        # Which provider answers: openai, anthropic, ollama, azure, command, script, or a
        # profile defined below. Unset, a run picks one from ANTHROPIC_API_KEY,
        # OPENAI_API_KEY, a local Ollama or claude on PATH.
        # provider: anthropic
        # model: claude-sonnet-4-5
        # fallback: []

        # How much ceremony: fast, streamlined or full.
        # mode: streamlined

        # The project's tests: each a command line, or {command, timeout_seconds, junit}.
        # verify: []
        # verify_timeout_seconds: 600

        # Paths the model may not edit (.gitignore syntax).
        # protect: []

        # context_budget_tokens: 8000

        # The longest answer, in tokens, per kind of request (a profile's max_output_tokens
        # replaces all four for that profile).
        # max_output_tokens:
        #   spec: 2000
        #   plan: 2000
        #   build: 8000
        #   repair: 8000

        # When a run stops; null means no limit.
        # budgets:
        #   max_iterations: 8
        #   max_wall_seconds: 3600
        #   max_tokens: null
        #   max_cost_usd: null

        # How big one answer's change may be.
        # diff_limits:
        #   max_files: 20
        #   max_changed_lines: 1000

        # Which runs keep their worktree: on-failure, always or never.
        # worktree:
        #   retention: on-failure

        # Provider calls.
        # timeouts:
        #   connect_seconds: 10
        #   idle_read_seconds: 120
        #   total_seconds: 600
        # retry:
        #   max_attempts: 4
        #   base_delay_ms: 500
        #   max_delay_ms: 30000
        #   max_total_wait_seconds: 120
        # circuit_breaker:
        #   failure_threshold: 5
        #   cool_down_seconds: 30

        # Announce each finished run with a JSON POST (best effort; http or https only).
        # notify:
        #   webhook: null
        #   timeout_seconds: 5

        # Prices in US dollars per million tokens, over the built-in table.
        # prices:
        #   my-model: {input_per_mtok: 1.0, output_per_mtok: 2.0}

        # Profiles: change a built-in one, or add your own.
        # providers:
        #   local:
        #     kind: openai
        #     base_url: http://127.0.0.1:8080/v1
        #     model: qwen2.5-coder
        #     api_key_env: LOCAL_LLM_KEY
        #     max_output_tokens: 4096

        """
}
