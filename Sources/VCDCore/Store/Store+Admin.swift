/// Orgs and users created, changed and removed at run time (§3.3, §3.4). Each change is an event: org events
/// in the acting system administrator's org (System), so that they outlive the org; user events in the user's org.
extension Store {
    public func createOrg(_ d: OrgDraft, by p: Principal) throws(DomainError) -> Org {
        guard p.isSysadmin else { throw .forbidden("Only a system administrator may create organizations; log in to org System.") }
        guard let name = d.name, !name.isEmpty, name.count <= 128, !name.contains("/") else {
            throw .badRequest("An AdminOrg needs a name attribute of 1-128 characters without '/', e.g. <AdminOrg name=\"acme\">.")
        }
        let id = ids.uuid()
        let eventID = ids.uuid()
        let now = clock.now()
        return try mutate { s throws(DomainError) in
            if s.orgIDByName[name.lowercased()] != nil { throw .duplicateName("An organization named \"\(name)\" already exists.") }
            let org = Org(id: id, name: name, fullName: d.fullName ?? name, description: d.description ?? "",
                          enabled: d.enabled ?? true)
            s.insertOrg(org)
            s.orgRevision &+= 1
            s.recordAdmin(EventType.orgCreate, org: p.orgID, entity: .org(id: org.id, name: org.name), by: p, id: eventID, at: now,
                          retention: settings.eventRetention)
            return org
        }
    }

    /// Full name, description and enabled flag; the name stays (vCD refuses renames here too).
    public func updateOrg(_ id: String, _ d: OrgDraft, by p: Principal) throws(DomainError) -> Org {
        guard p.isSysadmin else { throw .noAccess("org", id) }
        let eventID = ids.uuid()
        let now = clock.now()
        return try mutate { s throws(DomainError) in
            guard var org = s.orgs[id] else { throw .noAccess("org", id) }
            if let name = d.name, name != org.name {
                throw .badRequest("An organization cannot be renamed (\"\(org.name)\" to \"\(name)\"); create a new one instead.")
            }
            if d.enabled == false && org.isSystem { throw .badRequest("The System organization cannot be disabled.") }
            if let fullName = d.fullName { org.fullName = fullName.isEmpty ? org.name : fullName }
            if let description = d.description { org.description = description }
            if let enabled = d.enabled { org.enabled = enabled }
            s.orgs[id] = org
            s.orgRevision &+= 1
            s.recordAdmin(EventType.orgModify, org: p.orgID, entity: .org(id: org.id, name: org.name), by: p, id: eventID, at: now,
                          retention: settings.eventRetention)
            return org
        }
    }

    /// Refused while the org is enabled or holds vdcs, catalogs or networks, unless `force` and `recursive`.
    /// The deleted org's own history (tasks, events) goes with it.
    public func deleteOrg(_ id: String, force: Bool, recursive: Bool, by p: Principal) throws(DomainError) {
        guard p.isSysadmin else { throw .noAccess("org", id) }
        let eventID = ids.uuid()
        let now = clock.now()
        try mutate { s throws(DomainError) in
            guard let org = s.orgs[id] else { throw .noAccess("org", id) }
            if org.isSystem { throw .badRequest("The System organization cannot be deleted.") }
            let held = org.vdcs.count + org.catalogs.count + org.networks.count
            if !(force && recursive) {
                if org.enabled {
                    throw .badRequest("Organization \"\(org.name)\" is enabled; disable it first (POST \(id)/action/disable) "
                        + "or delete with ?force=true&recursive=true.")
                }
                if held > 0 {
                    throw .badRequest("Organization \"\(org.name)\" still holds \(org.vdcs.count) vdc(s), \(org.catalogs.count) "
                        + "catalog(s) and \(org.networks.count) network(s); delete with ?force=true&recursive=true to remove them too.")
                }
            }
            s.removeOrg(id)
            s.orgRevision &+= 1
            s.recordAdmin(EventType.orgDelete, org: p.orgID, entity: .org(id: org.id, name: org.name), by: p, id: eventID, at: now,
                          retention: settings.eventRetention)
        }
    }

    public func createUser(in orgID: String, _ d: UserDraft, by p: Principal) throws(DomainError) -> User {
        guard p.administers(orgID: orgID) else { throw .noAccess("org", orgID) }
        guard let name = d.name, !name.isEmpty, name.count <= 128, !name.contains("@"), !name.contains("/") else {
            throw .badRequest("A User needs a name attribute of 1-128 characters without '@' or '/', e.g. <User name=\"dave\">.")
        }
        guard let password = d.password else { throw .badRequest("A new User needs a Password element.") }
        try UserRules.password(password)
        guard let roleID = d.roleID else {
            throw .badRequest("A new User needs a Role reference, e.g. <Role href=\".../api/admin/role/{id}\"/>; "
                + "GET /api/admin lists the roles under RoleReferences.")
        }
        let id = ids.uuid()
        let eventID = ids.uuid()
        let now = clock.now()
        return try mutate { s throws(DomainError) in
            guard let org = s.orgs[orgID] else { throw .noAccess("org", orgID) }
            let role = try UserRules.role(roleID, in: org, by: p)
            if org.users.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                throw .duplicateName("A user named \"\(name)\" already exists in organization \"\(org.name)\".")
            }
            var user = User(id: id, name: name, password: password, role: role, fullName: d.fullName ?? "", email: d.email ?? "")
            user.description = d.description ?? ""
            user.enabled = d.enabled ?? true
            s.orgs[orgID]?.users.append(user)
            s.userOrg[id] = orgID
            s.orgRevision &+= 1
            s.recordAdmin(EventType.userCreate, org: orgID, entity: .user(id: id, name: name), by: p, id: eventID, at: now,
                          retention: settings.eventRetention)
            return user
        }
    }

    /// Full name, email, description, enabled flag, role and password. Disabling a user ends their sessions.
    public func updateUser(_ id: String, _ d: UserDraft, by p: Principal) throws(DomainError) -> (Org, User) {
        if let password = d.password { try UserRules.password(password) }
        let eventID = ids.uuid()
        let now = clock.now()
        return try mutate { s throws(DomainError) in
            guard let orgID = s.userOrg[id], var org = s.orgs[orgID], p.administers(orgID: orgID),
                  let index = org.users.firstIndex(where: { $0.id == id }) else { throw .noAccess("user", id) }
            var user = org.users[index]
            if let name = d.name, name != user.name {
                throw .badRequest("A user cannot be renamed (\"\(user.name)\" to \"\(name)\"); create a new one instead.")
            }
            if let roleID = d.roleID { user.role = try UserRules.role(roleID, in: org, by: p) }
            if let fullName = d.fullName { user.fullName = fullName }
            if let email = d.email { user.email = email }
            if let description = d.description { user.description = description }
            if let password = d.password { user.password = password }
            if let enabled = d.enabled {
                if !enabled && id == p.user.id { throw .badRequest("You cannot disable yourself.") }
                user.enabled = enabled
            }
            org.users[index] = user
            s.orgs[orgID] = org
            if !user.enabled { s.sessions = s.sessions.filter { $0.value.session.userID != id } }
            s.orgRevision &+= 1
            s.recordAdmin(EventType.userModify, org: orgID, entity: .user(id: id, name: user.name), by: p, id: eventID, at: now,
                          retention: settings.eventRetention)
            return (org, user)
        }
    }

    /// The user's sessions end with them.
    public func deleteUser(_ id: String, by p: Principal) throws(DomainError) {
        let eventID = ids.uuid()
        let now = clock.now()
        try mutate { s throws(DomainError) in
            guard let orgID = s.userOrg[id], let org = s.orgs[orgID], p.administers(orgID: orgID),
                  let user = org.users.first(where: { $0.id == id }) else { throw .noAccess("user", id) }
            if id == p.user.id { throw .badRequest("You cannot delete yourself; log in as another administrator.") }
            s.orgs[orgID]?.users.removeAll { $0.id == id }
            s.userOrg[id] = nil
            s.sessions = s.sessions.filter { $0.value.session.userID != id }
            s.orgRevision &+= 1
            s.recordAdmin(EventType.userDelete, org: orgID, entity: .user(id: id, name: user.name), by: p, id: eventID, at: now,
                          retention: settings.eventRetention)
        }
    }
}

extension CloudState {
    mutating func recordAdmin(_ type: String, org orgID: String, entity: EntityRef, by p: Principal, id: String, at now: Timestamp,
                              retention: Int) {
        record(Event(id: id, type: type, timestamp: now, orgID: orgID, user: .user(id: p.user.id, name: p.user.name),
                     entity: entity), retention: retention)
    }
}

/// Checks on user fields a client sends.
enum UserRules {
    static func password(_ text: String) throws(DomainError) {
        guard text.count >= 6 else { throw .badRequest("The password must be at least 6 characters long.") }
    }

    /// A predefined role; System Administrator only in org System and only from a system administrator.
    static func role(_ id: String, in org: Org, by p: Principal) throws(DomainError) -> Role {
        guard let role = Role(id: id) else {
            throw .badRequest("Role \"\(id)\" is unknown; use a RoleReference href from GET /api/admin (RoleReferences).")
        }
        if role == .systemAdministrator {
            guard org.isSystem else { throw .badRequest("Only users of org System can be System Administrators.") }
            guard p.isSysadmin else { throw .forbidden("Only a system administrator may grant the System Administrator role.") }
        }
        return role
    }
}
