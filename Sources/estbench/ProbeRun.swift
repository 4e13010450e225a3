import EventLoop
import HTTP
import PKI
import TLS

/// The requests of one `estbench probe`: `concurrency` lanes on one loop, each sending its share of
/// `count` requests in turn, on one kept-alive connection or a new one each time.
final class ProbeRun {
    struct Settings {
        var count: Int
        var concurrency: Int
        var newConnectionEach: Bool
        var timeoutNs: UInt64
        var method: HTTPMethod
        var body: [UInt8]
        var clientIdentity: (chain: [[UInt8]], key: PrivateKey)?
    }

    let loop: Loop
    let context: TLSContext
    let target: ProbeTarget
    let template: HTTPRequestTemplate
    let settings: Settings
    let onRecord: (ProbeRecord) -> Void
    var started = 0
    var records: [ProbeRecord] = []
    var ticket: TLSResumableSession?
    private var lanes: [ProbeLane] = []
    /// Lanes whose next request starts on the next loop iteration.
    private var ready: ReadyList<ProbeLane>?

    init(loop: Loop, context: TLSContext, target: ProbeTarget, template: HTTPRequestTemplate, settings: Settings,
         onRecord: @escaping (ProbeRecord) -> Void) {
        self.loop = loop
        self.context = context
        self.target = target
        self.template = template
        self.settings = settings
        self.onRecord = onRecord
    }

    func run() throws -> [ProbeRecord] {
        let list = try ReadyList<ProbeLane>(loop: loop) { $0.readyTurn() }
        list.drained = { [unowned self] in
            // Every lane done: close the list so the loop can end.
            if self.lanes.allSatisfy({ if case .done = $0.state { return true } else { return false } }) { self.ready?.close() }
        }
        ready = list
        for _ in 0..<min(settings.concurrency, settings.count) {
            let lane = try ProbeLane(run: self)
            lanes.append(lane)
            enqueueReady(lane)
        }
        _ = loop.run()
        return records.sorted { $0.index < $1.index }
    }

    /// `lane` takes its next request on the next loop iteration.
    func enqueueReady(_ lane: ProbeLane) {
        // The list closes only once every lane is done, and a done lane is never queued.
        guard ready?.append(lane) == true else { preconditionFailure("probe lane queued after every lane was done") }
    }

    func take() -> Int? {
        guard started < settings.count else { return nil }
        started += 1
        return started - 1
    }

    func finished(_ record: ProbeRecord) {
        records.append(record)
        onRecord(record)
    }
}
