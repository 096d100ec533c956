// The hand-written layer over the generated bindings (Nixflex.swift): paginated lists as
// `AsyncSequence`s. The generated `Iterators.swift` adds `iter(...)` to each list's resource.

/// Every item of a paginated list, fetched page by page while the current page is read:
///
/// ```swift
/// for try await agent in client.agents().iter(pageSize: 50) {
///     print(agent.agentId)
/// }
/// ```
///
/// Each iteration opens its own walk (a pager in Rust that prefetches the next pages); breaking
/// out of the loop releases it, which stops the prefetching.
///
/// The closures are `@Sendable`, so a sequence of `Sendable` items can be handed to another task;
/// each iterator stays with the task that iterates it.
public struct NixflexItems<Element>: AsyncSequence {
    public typealias PageSource = @Sendable () async throws -> [Element]?

    private let open: @Sendable () throws -> PageSource

    /// A sequence over the pages `open()` hands out; used by the generated `iter(...)` methods.
    public init(_ open: @escaping @Sendable () throws -> PageSource) {
        self.open = open
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(open: open)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        private let open: @Sendable () throws -> PageSource
        private var nextPage: PageSource?
        private var buffer: [Element] = []
        private var index = 0
        private var finished = false

        init(open: @escaping @Sendable () throws -> PageSource) {
            self.open = open
        }

        public mutating func next() async throws -> Element? {
            while index >= buffer.count {
                if finished {
                    return nil
                }
                do {
                    if nextPage == nil {
                        nextPage = try open()
                    }
                    guard let fetch = nextPage, let page = try await fetch() else {
                        finish()
                        return nil
                    }
                    buffer = page
                    index = 0
                } catch {
                    finish()
                    throw error
                }
            }
            let item = buffer[index]
            index += 1
            return item
        }

        private mutating func finish() {
            finished = true
            nextPage = nil
            buffer = []
            index = 0
        }
    }
}

extension NixflexItems: Sendable where Element: Sendable {}
