import MailProtocol
import NIOCore

extension IMAPClient {
    /// The next response, or `timeout` once `deadline` passes (which closes the connection).
    func nextResponse(until deadline: ContinuousClock.Instant, waitingFor what: String) async throws -> IMAPResponse {
        guard let response = try await nextResponse(orNilAt: deadline) else {
            logger.warning("IMAP timeout", metadata: ["waiting for": "\(what)"])
            await close()
            throw IMAPClientError.timeout(what)
        }
        return response
    }

    /// The next response, or nil once `deadline` passes with the connection still in step (for IDLE).
    func nextResponse(orNilAt deadline: ContinuousClock.Instant) async throws -> IMAPResponse? {
        while true {
            guard !isClosed else { throw IMAPClientError.connectionClosed }
            do {
                if let frame = try framer.next() {
                    return try IMAPResponseParser.parse(frame)
                }
            } catch {
                logger.warning("IMAP response rejected", metadata: ["error": "\(error)"])
                await close()
                throw IMAPClientError.protocolViolation("\(error)")
            }
            switch try await readChunk(until: deadline) {
            case let .bytes(bytes): framer.append(bytes)
            case .closed:
                await close()
                throw IMAPClientError.connectionClosed
            case .timedOut:
                return nil
            }
        }
    }

    private enum ReadOutcome: Sendable {
        case bytes([UInt8])
        case closed
        case timedOut
    }

    /// Waits for bytes until `deadline`, never losing bytes that arrive as the deadline passes.
    private func readChunk(until deadline: ContinuousClock.Instant) async throws -> ReadOutcome {
        let inbox = self.inbox
        let channel = self.channel
        do {
            return try await withThrowingTaskGroup(of: ReadOutcome.self) { group in
                group.addTask {
                    let bytes = try await inbox.next {
                        channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
                    }
                    return bytes.map(ReadOutcome.bytes) ?? .closed
                }
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return .timedOut
                }
                let first = try await group.next() ?? .timedOut
                group.cancelAll()
                guard case .timedOut = first else { return first }
                // The read may have completed as the timer fired: keep its bytes.
                while let other = try? await group.next() {
                    if case .bytes = other { return other }
                }
                return .timedOut
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as IMAPClientError {
            throw error
        } catch {
            logger.warning("IMAP connection failed", metadata: ["error": "\(error)"])
            await close()
            throw IMAPClientError.transport("\(error)")
        }
    }
}
