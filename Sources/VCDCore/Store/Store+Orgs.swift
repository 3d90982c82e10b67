extension Store {
    /// What `GET /api/org` lists: every org for a sysadmin, the caller's own otherwise.
    public func visibleOrgs(for p: Principal) -> [Org] {
        // One pass, one copy of each org (a compactMap then a filter copied every Org twice: measured as
        // most of an OrgList's time at 10,000 orgs).
        state.withLock { s in
            var out: [Org] = []
            out.reserveCapacity(s.orgs.count)
            for org in s.orgs.ordered where p.canRead(orgID: org.id) { out.append(org) }
            return out
        }
    }

    public func org(_ id: String, for p: Principal) throws(DomainError) -> Org {
        try orgWithRevision(id, for: p).org
    }

    /// The org and the revision it belongs to, read under one lock (for render caches).
    public func orgWithRevision(_ id: String, for p: Principal) throws(DomainError) -> (org: Org, revision: UInt64) {
        guard p.canRead(orgID: id), let found = state.withLock({ s in s.orgs[id].map { ($0, s.orgRevision) } }) else {
            throw .noAccess("org", id)
        }
        return found
    }

    /// Admin view of an org: sysadmins, and org administrators of that org.
    public func adminOrg(_ id: String, for p: Principal) throws(DomainError) -> Org {
        guard p.administers(orgID: id), let org = state.withLock({ $0.orgs[id] }) else { throw .noAccess("org", id) }
        return org
    }

    /// A vdc, catalog or network and the org that holds it.
    public func item(_ kind: InventoryItem.Kind, _ id: String, for p: Principal, admin: Bool = false)
        throws(DomainError) -> (Org, InventoryItem) {
        let found: (Org, InventoryItem)? = state.withLock { s in
            for org in s.orgs.ordered {
                if let item = org.items(kind).first(where: { $0.id == id }) { return (org, item) }
            }
            return nil
        }
        guard let found, admin ? p.administers(orgID: found.0.id) : p.canRead(orgID: found.0.id) else {
            throw .noAccess(kind.rawValue, id)
        }
        return found
    }

    /// Admin view of a user: administrators of the user's org, and its members (read only).
    public func user(_ id: String, for p: Principal) throws(DomainError) -> (Org, User) {
        let found: (Org, User)? = state.withLock { s in
            guard let orgID = s.userOrg[id], let org = s.orgs[orgID],
                  let user = org.users.first(where: { $0.id == id }) else { return nil }
            return (org, user)
        }
        guard let found, p.canRead(orgID: found.0.id) else { throw .noAccess("user", id) }
        return found
    }
}
