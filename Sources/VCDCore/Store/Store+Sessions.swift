extension Store {
    /// `user@org:password` login. Unknown org, unknown user and wrong password all answer alike.
    public func login(user name: String, org orgName: String, password: String) throws(DomainError) -> Principal {
        let now = clock.now()
        let token = ids.token()
        let eventID = ids.uuid()
        return try mutate { s throws(DomainError) in
            guard let orgID = s.orgIDByName[orgName.lowercased()], let org = s.orgs[orgID],
                  let user = org.users.first(where: { $0.name == name }), user.password == password else {
                throw .unauthorized("Invalid credentials for user \"\(name)@\(orgName)\".")
            }
            guard org.enabled else { throw .unauthorized("Organization \"\(org.name)\" is disabled.") }
            guard user.enabled else { throw .unauthorized("User \"\(name)@\(orgName)\" is disabled.") }
            let session = Session(token: token, userID: user.id, orgID: org.id, created: now, lastUsed: now)
            s.sessions[token] = session
            s.record(Event(id: eventID, type: EventType.sessionLogin, timestamp: now, orgID: org.id,
                           user: .user(id: user.id, name: user.name), entity: .user(id: user.id, name: user.name)),
                     retention: settings.eventRetention)
            return Principal(session: session, user: user, orgID: org.id, orgName: org.name)
        }
    }

    /// The caller behind a token; refreshes its idle timer. Expired sessions are removed.
    public func principal(token: String) throws(DomainError) -> Principal {
        let now = clock.now()
        let timeout = settings.sessionIdleTimeoutMillis
        return try state.withLock { s throws(DomainError) in
            guard var session = s.sessions[token] else {
                throw .unauthorized("The session token is missing, unknown or has been logged out; log in with POST /api/sessions.")
            }
            guard now.milliseconds - session.lastUsed.milliseconds <= timeout else {
                s.sessions[token] = nil
                throw .unauthorized("The session expired after \(timeout / 60_000) minutes without use; log in again.")
            }
            guard let org = s.orgs[session.orgID], let user = org.users.first(where: { $0.id == session.userID }),
                  user.enabled else {
                s.sessions[token] = nil
                throw .unauthorized("The user of this session no longer exists or was disabled; log in again.")
            }
            // Refresh the idle timer at most once a second: most requests then read without writing.
            if now.milliseconds - session.lastUsed.milliseconds >= 1000 {
                session.lastUsed = now
                s.sessions[token] = session
            }
            return Principal(session: session, user: user, orgID: org.id, orgName: org.name)
        }
    }

    public func logout(token: String) {
        _ = state.withLock { $0.sessions.removeValue(forKey: token) }
    }
}
