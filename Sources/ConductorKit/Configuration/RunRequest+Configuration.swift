import ConductorDomain

extension RunRequest {
    /// A request whose settings all come from a resolved configuration: verify commands
    /// (with their timeouts), mode, budgets, protected paths, diff limits, worktree retention
    /// and the context budget. The provider is passed separately, because turning a profile
    /// into a ``ProviderSpec`` is the provider layer's business.
    public init(prompt: String, provider: ProviderSpec, configuration: Configuration, base: String = "HEAD", autoApprove: Bool = false) {
        self.init(
            prompt: prompt, provider: provider, mode: configuration.mode, base: base, verifyCommands: configuration.verify,
            limits: configuration.budgets, paths: configuration.pathPolicy, diffLimits: configuration.diffLimits,
            retention: configuration.worktreeRetention, contextBudgetTokens: configuration.contextBudgetTokens,
            autoApprove: autoApprove
        )
    }
}
