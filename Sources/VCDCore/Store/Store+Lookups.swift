extension Store {
    /// A task as it is now, whoever may read it (the control API).
    public func anyTask(_ id: String) -> CloudTask? {
        state.withLock { $0.tasks[id] }
    }

    /// An org's id from its id or name (any case).
    public func orgID(idOrName: String) -> String? {
        state.withLock { s in
            s.orgs[idOrName] != nil ? idOrName : s.orgIDByName[idOrName.lowercased()]
        }
    }
}
