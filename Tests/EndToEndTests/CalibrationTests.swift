@testable import estbench
import Testing
import Workload

/// How `bench calibrate` paces h2load's new connections: as evenly as h2load allows (one every 1000/rate ms when
/// rate divides 1000), like estbench's own arrivals, never more per period than it has clients.
@Suite struct CalibrationPaceTests {
    @Test func paceIsEvenAndBounded() {
        #expect(CalibrationClients.h2loadPace(rate: 500, clients: 2000) == (1, 2))
        #expect(CalibrationClients.h2loadPace(rate: 1000, clients: 2000) == (1, 1))
        #expect(CalibrationClients.h2loadPace(rate: 100, clients: 2000) == (1, 10))
        #expect(CalibrationClients.h2loadPace(rate: 300, clients: 2000) == (3, 10))
        #expect(CalibrationClients.h2loadPace(rate: 50, clients: 2000) == (1, 20))
        #expect(CalibrationClients.h2loadPace(rate: 10, clients: 2000) == (1, 100))
        #expect(CalibrationClients.h2loadPace(rate: 2500, clients: 2000) == (5, 2))
        #expect(CalibrationClients.h2loadPace(rate: 100_000, clients: 20) == (20, 1))
        // No whole period up to 100 ms: rounded.
        #expect(CalibrationClients.h2loadPace(rate: 333, clients: 2000) == (3, 10))
        #expect(CalibrationClients.h2loadPace(rate: 37, clients: 2000) == (3, 100))
    }
}

/// The estbench half of a calibration: a profile that loads, the same work as h2load's.
@Suite struct CalibrationProfileTests {
    func plan(_ mode: CalibrationMode, requests: Int) throws -> RunPlan {
        let text = CalibrationClients.profile(mode, url: "https://127.0.0.1:8443", bundle: "/tmp/ca.pem", requests: requests,
                                              connections: 4, rate: 500, durationSeconds: 90)
        return try RunPlan.load(yaml: text, name: "calibrate-\(mode.rawValue)")
    }

    @Test func newConnectionsComeFromAFewDevicesEnrollingAgain() throws {
        let plan = try plan(.newconn, requests: 2000)
        #expect(plan.planDeviceCount == CalibrationClients.newconnDevices)
        #expect(plan.operationLimit == 2000)
        #expect(plan.arrivalSchedule != nil)
        #expect(try self.plan(.newconn, requests: 10).planDeviceCount == 10)
    }

    @Test func keptAliveEnrollmentsRunOnTheConnectionsDevices() throws {
        let plan = try plan(.keepalive, requests: 20000)
        #expect(plan.planDeviceCount == 4)
        #expect(plan.operationLimit == 20000)
        #expect(plan.arrivalSchedule == nil)
    }
}
