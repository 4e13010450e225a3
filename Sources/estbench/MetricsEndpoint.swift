import Dispatch
import EventLoop
import Foundation
import PKI
import Synchronization

/// `--metrics-listen`: plain HTTP `/metrics` on its own thread and loop, never the load loops'.
/// It serves the last page handed to `publish` (a feeder does so at most once a second); `stop`
/// closes the listener from any thread and joins. The loop, listener and connections live on the
/// endpoint's thread only.
final class MetricsEndpoint: Sendable {
    /// Where it listens (the actual port when 0 was asked for).
    let address: SocketAddress
    private let page: MetricsPageStore
    private let wakeup: Wakeup
    private let thread: StartedThread

    /// Binds `listen` ("ADDR:PORT", IPv6 in brackets) and starts serving an empty page.
    static func start(listen: String) throws -> MetricsEndpoint {
        let address: SocketAddress
        do { address = try SocketAddress(parsing: listen) } catch { throw CLIError.badInput("--metrics-listen \(listen): not ADDR:PORT (\(error))") }
        let page = MetricsPageStore()
        let started = Locked<Result<(SocketAddress, Wakeup), UVError>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        guard let thread = WorkerThreads.start({
            let server: MetricsServer
            do throws(UVError) {
                let loop = try Loop()
                server = try MetricsServer(loop: loop, address: address, page: page)
                started.withLock { $0 = .success((server.listener.localAddress, server.wakeup)) }
            } catch {
                started.withLock { $0 = .failure(error) }
                ready.signal()
                return
            }
            ready.signal()
            server.run()
        }) else { throw CLIError.failed("--metrics-listen: cannot start its thread") }
        ready.wait()
        switch started.withLock({ $0 })! {
        case .failure(let error):
            thread.join()
            throw CLIError.badInput("--metrics-listen \(listen): cannot listen: \(error)")
        case .success(let (bound, wakeup)):
            return MetricsEndpoint(address: bound, page: page, wakeup: wakeup, thread: thread)
        }
    }

    private init(address: SocketAddress, page: MetricsPageStore, wakeup: Wakeup, thread: StartedThread) {
        self.address = address
        self.page = page
        self.wakeup = wakeup
        self.thread = thread
    }

    /// The page served from now on.
    func publish(_ text: String) {
        let bytes = Array(text.utf8)
        page.bytes.withLock { $0 = bytes }
    }

    /// Closes the listener and ends the thread.
    func stop() {
        _ = wakeup.signal()
        thread.join()
    }
}

/// The endpoint's loop-thread side: the listener and a wake-up that ends the loop.
private final class MetricsServer: TCPListenerDelegate {
    let loop: Loop
    private(set) var listener: TCPListener!
    private(set) var wakeup: Wakeup!
    let page: MetricsPageStore

    init(loop: Loop, address: SocketAddress, page: MetricsPageStore) throws(UVError) {
        self.loop = loop
        self.page = page
        listener = try TCPListener(loop: loop, address: address, backlog: 64, delegate: self)
        wakeup = try Wakeup(loop: loop) { [unowned self] in
            self.listener.close()
            self.wakeup.close()
            self.loop.stop()
        }
    }

    func run() {
        _ = loop.run()
        // Connections still open are dropped with the process; a loop that will not close is left to it.
        do { try loop.close() } catch { Console.error("estbench: --metrics-listen: loop close: \(error)") }
    }

    func listener(_ listener: TCPListener, didAccept connection: TCPConnection) {
        connection.delegate = MetricsExchange(page: page)
    }

    func listener(_ listener: TCPListener, didFail error: UVError) {
        Console.error("estbench: --metrics-listen: accept: \(error)")
    }
}

/// One HTTP exchange on a /metrics connection: reads the request head, answers with the page (or
/// 404), then closes. One request per connection (`Connection: close`).
private final class MetricsExchange: TCPConnectionDelegate {
    let page: MetricsPageStore
    var head: [UInt8] = []
    var answered = false
    static let headLimit = 16 * 1024

    init(page: MetricsPageStore) { self.page = page }

    func connection(_ connection: TCPConnection, didRead bytes: UnsafeRawBufferPointer) {
        guard !answered else { return }
        head.append(contentsOf: bytes)
        guard let end = Self.headEnd(head) else {
            if head.count > Self.headLimit { connection.close() }
            return
        }
        answered = true
        let line = String(decoding: head[..<end].prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let words = line.split(separator: " ")
        let path = words.count >= 2 ? words[1].split(separator: "?").first.map(String.init) ?? "" : ""
        let ok = words.first == "GET" && path == "/metrics"
        let body = ok ? page.bytes.withLock { $0 } : Array("not found: estbench serves /metrics\n".utf8)
        let status = ok ? "200 OK" : (words.first == "GET" ? "404 Not Found" : "405 Method Not Allowed")
        let type = ok ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8"
        let response = Array("HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
        _ = connection.write(response)
        do { try connection.shutdown() } catch { connection.close() }
    }

    /// Index just past "\r\n\r\n", nil until the head is complete.
    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 3..<bytes.count where bytes[i] == 10 && bytes[i - 1] == 13 && bytes[i - 2] == 10 && bytes[i - 3] == 13 { return i + 1 }
        return nil
    }

    func connectionDidReadEOF(_ connection: TCPConnection) {
        if !answered { connection.close() }
    }

    func connectionDidShutdown(_ connection: TCPConnection) { connection.close() }

    func connection(_ connection: TCPConnection, didFail error: UVError) {}

    func connectionDidClose(_ connection: TCPConnection) {}
}

/// The page served, shared between the feeder and the endpoint's thread.
final class MetricsPageStore: Sendable {
    let bytes = Locked<[UInt8]>([])
}

/// Hands the endpoint a fresh page once a second, from its own thread (never a load loop's).
final class MetricsFeeder: Sendable {
    private final class Flag: Sendable { let isSet = Atomic<Bool>(false) }
    private let done = Flag()
    private let thread: StartedThread?

    init(endpoint: MetricsEndpoint, page: @escaping @Sendable () -> String) {
        endpoint.publish(page())
        let done = self.done
        thread = WorkerThreads.start {
            var ticks = 0
            while !done.isSet.load(ordering: .acquiring) {
                usleep(100_000)
                ticks += 1
                if ticks % 10 == 0 { endpoint.publish(page()) }
            }
        }
    }

    /// Ends the feeding (joined: no page is published after this returns).
    func stop() {
        done.isSet.store(true, ordering: .releasing)
        thread?.join()
    }
}

extension MetricsEndpoint {
    /// The end of `run` or `serve`: stops `feeder`, serves `finalPage` for `lingerSeconds` more
    /// (at most 4000, so a scraper can take the last figures), then stops.
    func finish(feeder: MetricsFeeder, finalPage: String, lingerSeconds: Double) {
        feeder.stop()
        publish(finalPage)
        if lingerSeconds > 0 {
            Console.out("metrics: serving the final figures for \(Format.number(lingerSeconds)) s more")
            usleep(UInt32(min(lingerSeconds, 4000) * 1e6))
        }
        stop()
    }
}
