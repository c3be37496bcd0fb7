import NIOCore
import NIOPosix

/// `network_status`: can this host open a TCP connection to a public DNS server? `OK`, or
/// `Disconnected` when the connection cannot be made (refused, unreachable, no answer in time),
/// as the original reports it; `Unknown:<error>` only for a failure that is not about the network.
public enum NetworkProbe {
    public static func check(host: String = "8.8.8.8", port: Int = 53, timeout: TimeAmount = .seconds(3)) async -> String {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .connect(host: host, port: port)
                .get()
            try? await channel.close()
            return "OK"
        } catch is IOError {
            return "Disconnected"
        } catch is NIOConnectionError {
            // Every address refused, unreachable or timed out.
            return "Disconnected"
        } catch ChannelError.connectTimeout {
            return "Disconnected"
        } catch let error as SocketAddressError {
            // A name that does not resolve: no network to speak of either.
            _ = error
            return "Disconnected"
        } catch {
            return "Unknown:\(error)"
        }
    }
}
