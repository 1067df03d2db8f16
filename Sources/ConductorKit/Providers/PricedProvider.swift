import ConductorDomain

/// A provider whose answers carry a cost whenever one can be known: the wrapped provider's own
/// figure when it states one (a CLI's reported cost, say), else the price table's for the
/// answer's model. A model the table does not know keeps its cost unknown, never 0.
///
/// A decorator rather than a step in each adapter, so that every provider (HTTP, command, the
/// offline script) is priced by one table, which configuration can override in one place.
public struct PricedProvider: Provider {
    public let base: any Provider
    public let prices: PriceTable

    public init(_ base: any Provider, prices: PriceTable = PriceTable()) {
        self.base = base
        self.prices = prices
    }

    public var name: String { base.name }

    public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderResponse {
        let response = try await base.complete(request)
        guard response.usage.costUSD == nil else { return response }
        return response.with(usage: prices.priced(response.usage))
    }
}
