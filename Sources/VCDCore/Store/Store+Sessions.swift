extension Store {
    /// `user@org:password` login. Unknown org, unknown user and wrong password all answer alike; a System
    /// user on the tenant path, or a tenant on the provider path, is refused the way vCD does (401).
    public func login(user name: String, org orgName: String, password: String, path: LoginPath = .any) throws(DomainError) -> Principal {
        let now = clock.now()
        let token = ids.token()
        let sessionID = ids.uuid()
        let eventID = ids.uuid()
        return try mutate { s throws(DomainError) in
            guard let orgID = s.orgIDByName[orgName.lowercased()], let org = s.orgs[orgID],
                  let user = org.users.first(where: { $0.name == name }), user.password == password else {
                throw .unauthorized("Invalid credentials for user \"\(name)@\(orgName)\".")
            }
            switch path {
            case .any: break
            case .tenant where org.isSystem:
                throw .unauthorized("\"\(name)@\(org.name)\" is a provider user: log in with POST /cloudapi/1.0.0/sessions/provider.")
            case .provider where !org.isSystem:
                throw .unauthorized("\"\(name)@\(org.name)\" is a tenant user: log in with POST /cloudapi/1.0.0/sessions.")
            default: break
            }
            guard org.enabled else { throw .unauthorized("Organization \"\(org.name)\" is disabled.") }
            guard user.enabled else { throw .unauthorized("User \"\(name)@\(orgName)\" is disabled.") }
            let session = Session(token: token, id: sessionID, userID: user.id, orgID: org.id, created: now, lastUsed: now)
            s.sessions[SessionKey(token)] = SessionEntry(session)
            s.record(Event(id: eventID, type: EventType.sessionLogin, timestamp: now, orgID: org.id,
                           user: .user(id: user.id, name: user.name), entity: .user(id: user.id, name: user.name)),
                     retention: settings.eventRetention)
            return Principal(session: session, user: user, orgID: org.id, orgName: org.name)
        }
    }

    /// Gives a live session its access token (a JWT made by the caller), accepted until `expires`.
    /// Returns the session as updated, or nil when it has ended meanwhile.
    @discardableResult
    public func attachAccessToken(_ accessToken: String, expires: Timestamp, to token: String) -> Session? {
        state.withLock { s in
            guard var entry = s.sessions[SessionKey(token)] else { return nil }
            if let old = entry.session.accessToken { s.accessTokens[old] = nil }
            entry.session.accessToken = accessToken
            entry.session.accessTokenExpires = expires
            entry.principal = nil
            s.sessions[SessionKey(token)] = entry
            s.accessTokens[accessToken] = token
            return entry.session
        }
    }

    /// The caller behind a session token or access token; refreshes its idle timer. Expired sessions are removed.
    public func principal(token presented: String) throws(DomainError) -> Principal {
        let now = clock.now()
        let timeout = settings.sessionIdleTimeoutMillis
        return try state.withLock { s throws(DomainError) in
            // One lookup for an x-vcloud-authorization token; an access token takes a second one.
            var token = presented
            var found = s.sessions[SessionKey(presented)]
            if found == nil, let owner = s.accessTokens[presented] {
                token = owner
                found = s.sessions[SessionKey(owner)]
            }
            guard var entry = found else {
                s.accessTokens[presented] = nil
                throw .unauthorized("The session token is missing, unknown or has been logged out; log in with POST /api/sessions.")
            }
            let session = entry.session
            if token != presented, let expires = session.accessTokenExpires, now.milliseconds > expires.milliseconds {
                throw .unauthorized("The access token expired at \(expires.iso8601); log in again.")
            }
            guard now.milliseconds - session.lastUsed.milliseconds <= timeout else {
                s.endSession(token)
                throw .unauthorized("The session expired after \(timeout / 60_000) minutes without use; log in again.")
            }
            // Most requests read without writing: the idle timer moves at most once a second, and the
            // caller is rebuilt only after an org or user changed.
            let refresh = now.milliseconds - session.lastUsed.milliseconds >= 1000
            if !refresh, entry.principalRevision == s.orgRevision, let cached = entry.principal { return cached }
            guard let org = s.orgs[session.orgID], let user = org.users.first(where: { $0.id == session.userID }),
                  user.enabled else {
                s.endSession(token)
                throw .unauthorized("The user of this session no longer exists or was disabled; log in again.")
            }
            if refresh { entry.session.lastUsed = now }
            let principal = Principal(session: entry.session, user: user, orgID: org.id, orgName: org.name)
            entry.principal = principal
            entry.principalRevision = s.orgRevision
            s.sessions[SessionKey(token)] = entry
            return principal
        }
    }

    /// Ends the session behind either of its tokens.
    public func logout(token presented: String) {
        state.withLock { s in
            s.endSession(s.sessions[SessionKey(presented)] != nil ? presented : s.accessTokens[presented] ?? presented)
        }
    }
}

extension CloudState {
    mutating func endSession(_ token: String) {
        guard let entry = sessions.removeValue(forKey: SessionKey(token)) else { return }
        if let access = entry.session.accessToken { accessTokens[access] = nil }
    }
}
