extension Store {
    /// Calls `body` with the id and name of every org `visibleOrgs` would return, in the same order, under
    /// the store's lock, which it holds no longer than the lookups take if `body` only copies the bytes it
    /// needs: an `OrgList` then touches each org once and copies no `Org` value.
    public func forEachVisibleOrg(for p: Principal, _ body: (_ id: String, _ name: String) -> Void) {
        state.withLock { s in
            for org in s.orgs.ordered where p.canRead(orgID: org.id) { body(org.id, org.name) }
        }
    }
}

extension Store {
    /// How many orgs the store holds (to size an `OrgList` before the lock is taken for it).
    public var orgCount: Int { state.withLock { $0.orgs.count } }
}
