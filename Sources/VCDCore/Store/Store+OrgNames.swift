extension Store {
    /// The ids and names of the orgs `visibleOrgs` would return, in the same order: all an `OrgList`
    /// needs, without copying whole `Org` values (two string retains an org instead of a dozen).
    public func visibleOrgNames(for p: Principal) -> [(id: String, name: String)] {
        state.withLock { s in
            var out: [(id: String, name: String)] = []
            out.reserveCapacity(s.orgOrder.count)
            for id in s.orgOrder where p.canRead(orgID: id) {
                if let org = s.orgs[id] { out.append((org.id, org.name)) }
            }
            return out
        }
    }
}
