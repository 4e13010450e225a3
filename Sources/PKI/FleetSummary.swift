import DER

/// What `fleet inspect` says about a fleet, computed without I/O: how many devices hold a
/// certificate, who issued them, and how their validity is spread (earliest and latest notAfter,
/// and how many expire within a day, a week, a month, or have already).
public struct FleetSummary: Sendable, Equatable {
    public var devices = 0
    public var enrolled = 0
    /// Issuer (its common name, else its whole name) → certificates.
    public var issuers: [String: Int] = [:]
    public var keyTypes: [String: Int] = [:]
    public var earliestNotAfter: DERTime?
    public var latestNotAfter: DERTime?
    public var earliestNotBefore: DERTime?
    public var latestNotBefore: DERTime?
    /// Certificates by time left at `now`: expired, under 1 day, under 7 days, under 30 days, longer.
    public var expired = 0, withinDay = 0, withinWeek = 0, withinMonth = 0, later = 0
    /// Certificates that could not be read (counted, not fatal).
    public var unreadable = 0

    public init(_ fleet: Fleet, nowUnixSeconds: Int64) {
        devices = fleet.devices.count
        for device in fleet.devices {
            keyTypes["\(device.key.type)", default: 0] += 1
            guard let der = device.certificate else { continue }
            enrolled += 1
            let view: CertificateView
            do { view = try CertificateView(der: der[...]) } catch {
                unreadable += 1
                continue
            }
            issuers[FleetSummary.name(view.issuer), default: 0] += 1
            earliestNotAfter = min(earliestNotAfter ?? view.notAfter, view.notAfter)
            latestNotAfter = max(latestNotAfter ?? view.notAfter, view.notAfter)
            earliestNotBefore = min(earliestNotBefore ?? view.notBefore, view.notBefore)
            latestNotBefore = max(latestNotBefore ?? view.notBefore, view.notBefore)
            let left = view.notAfter.unixSeconds - nowUnixSeconds
            switch left {
            case ..<0: expired += 1
            case ..<86_400: withinDay += 1
            case ..<(7 * 86_400): withinWeek += 1
            case ..<(30 * 86_400): withinMonth += 1
            default: later += 1
            }
        }
    }

    /// A Name as its common name, or its attributes joined, or "(unreadable name)".
    static func name(_ der: ArraySlice<UInt8>) -> String {
        do {
            let attributes = try NameReader.attributes(of: der)
            if let cn = attributes.first(where: { $0.0 == OIDs.commonName }) { return cn.1 }
            return attributes.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        } catch {
            return "(unreadable name)"
        }
    }

    /// The summary as console lines.
    public var lines: [String] {
        var out = ["devices: \(devices), \(enrolled) with an issued certificate, \(devices - enrolled) without (they enroll first)"]
        out.append("key types: " + keyTypes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        for (issuer, count) in issuers.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            out.append("issuer: \(issuer) — \(count) certificate(s)")
        }
        if let a = earliestNotBefore, let b = latestNotBefore { out.append("notBefore: \(a) … \(b)") }
        if let a = earliestNotAfter, let b = latestNotAfter { out.append("notAfter: \(a) … \(b)") }
        if enrolled > 0 {
            out.append("time left: expired \(expired), < 1 day \(withinDay), < 7 days \(withinWeek), < 30 days \(withinMonth), longer \(later)")
        }
        if unreadable > 0 { out.append("unreadable certificates: \(unreadable)") }
        return out
    }
}
