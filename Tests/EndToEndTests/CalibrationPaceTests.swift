@testable import estbench
import Testing

/// How `bench calibrate` paces h2load's new connections: as evenly as h2load allows (10 ms periods),
/// like estbench's own arrivals, never more per period than it has clients.
@Suite struct CalibrationPaceTests {
    @Test func paceIsEvenAndBounded() {
        #expect(CalibrationClients.h2loadPace(rate: 500, clients: 2000) == (5, 10))
        #expect(CalibrationClients.h2loadPace(rate: 100, clients: 2000) == (1, 10))
        #expect(CalibrationClients.h2loadPace(rate: 50, clients: 2000) == (5, 100))
        #expect(CalibrationClients.h2loadPace(rate: 10, clients: 2000) == (1, 100))
        #expect(CalibrationClients.h2loadPace(rate: 100_000, clients: 20) == (20, 10))
    }
}
