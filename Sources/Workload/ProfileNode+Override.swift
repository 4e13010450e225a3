/// Applying overrides to the tree: set creates missing mappings on the way, an index may name an
/// existing entry or append one; every bad path becomes an issue naming it.
extension ProfileNode {
    /// The tree with `overrides` applied in order, the issues of those that could not be, and the
    /// overrides that changed the tree (a `follow` whose condition did not hold is left out).
    public func applying(_ overrides: [ProfileOverride]) -> (ProfileNode, [ProfileIssue], applied: [ProfileOverride]) {
        var node = self
        var issues: [ProfileIssue] = []
        var applied: [ProfileOverride] = []
        for override in overrides {
            do {
                switch override {
                case .set(let path, let value):
                    node = try node.replacing(path.segments[...], with: value, parents: [])
                case .remove(let path):
                    node = try node.replacing(path.segments[...], with: nil, parents: [])
                case .follow(let path, let value, let reference):
                    guard let current = node.value(at: path), let other = node.value(at: reference), current.sameValue(as: other) else { continue }
                    node = try node.replacing(path.segments[...], with: value, parents: [])
                }
                applied.append(override)
            } catch {
                issues.append(error)
            }
        }
        return (node, issues, applied)
    }

    /// The node at `path`, nil when the tree has none there.
    func value(at path: ProfilePath) -> ProfileNode? {
        var node = self
        for segment in path.segments {
            switch (node, segment) {
            case (.mapping, .key(let key)):
                guard let next = node[key] else { return nil }
                node = next
            case (.sequence(let items), .index(let index)) where index < items.count:
                node = items[index]
            default:
                return nil
            }
        }
        return node
    }

    /// Equal as profile values: scalars that read as the same integer ("20", "+20"), else equal trees.
    func sameValue(as other: ProfileNode) -> Bool {
        if case .scalar(let a) = self, case .scalar(let b) = other, let x = Int(a), let y = Int(b) { return x == y }
        return self == other
    }

    /// `nil` as the value removes the field (a missing field is already removed).
    private func replacing(_ rest: ArraySlice<ProfilePath.Segment>, with value: ProfileNode?,
                           parents: [ProfilePath.Segment]) throws(ProfileIssue) -> ProfileNode {
        guard let segment = rest.first else { return value ?? .null }
        let here = parents + [segment]
        let tail = rest.dropFirst()
        switch (self, segment) {
        case (.null, .key(let key)):
            guard value != nil else { return .null }
            return .mapping([Entry(key: key, value: try ProfileNode.null.replacing(tail, with: value, parents: here))])
        case (.mapping(var entries), .key(let key)):
            if let at = entries.firstIndex(where: { $0.key == key }) {
                if value == nil && tail.isEmpty {
                    entries.remove(at: at)
                } else {
                    entries[at].value = try entries[at].value.replacing(tail, with: value, parents: here)
                }
            } else if value != nil {
                entries.append(Entry(key: key, value: try ProfileNode.null.replacing(tail, with: value, parents: here)))
            }
            return .mapping(entries)
        case (.sequence(var items), .index(let index)):
            if index < items.count {
                if value == nil && tail.isEmpty {
                    items.remove(at: index)
                } else {
                    items[index] = try items[index].replacing(tail, with: value, parents: here)
                }
            } else if index == items.count, value != nil {
                items.append(try ProfileNode.null.replacing(tail, with: value, parents: here))
            } else if value != nil {
                throw ProfileIssue(path: ProfilePath.render(here[...]),
                                   message: "index out of range; \(ProfilePath.render(parents[...])) has \(items.count) entries")
            }
            return .sequence(items)
        case (.sequence, .key):
            throw ProfileIssue(path: ProfilePath.render(parents[...]),
                               message: "is a sequence; address its entries by index, e.g. \(ProfilePath.render(parents[...]))[0]")
        case (_, .index):
            throw ProfileIssue(path: ProfilePath.render(parents[...]), message: "is not a sequence; cannot take index [\(segment.indexValue)]")
        case (.scalar(let text), .key(let key)):
            throw ProfileIssue(path: ProfilePath.render(parents[...]),
                               message: "is a value (\"\(text)\"), not a mapping; cannot set field \"\(key)\"")
        }
    }
}

extension ProfilePath.Segment {
    fileprivate var indexValue: Int {
        if case .index(let index) = self { return index }
        return -1
    }
}
