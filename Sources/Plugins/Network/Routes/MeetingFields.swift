import COIPluginKit
import Foundation

/// A meeting's fields as given by an admin, checked: a title, a start before the end, a place or
/// an online link, and a capacity.
struct MeetingFields {
    var title: String
    var startsAt: String
    var endsAt: String
    var place: String
    var onlineURL: String
    var agenda: String
    var capacity: Int

    init(title: String, startsAt: String, endsAt: String, place: String, onlineURL: String, agenda: String, capacity: Int32) throws {
        self.title = try Validation.text(title, "title", limit: 200)
        self.startsAt = try Validation.time(startsAt, "starts_at")
        self.endsAt = endsAt.isEmpty ? Timestamp.string((Timestamp.parse(self.startsAt) ?? .now).addingTimeInterval(2 * 3600))
            : try Validation.time(endsAt, "ends_at")
        guard self.endsAt > self.startsAt else { throw RPCError.invalidField("ends_at", "must be after starts_at \(self.startsAt)") }
        self.place = try Validation.text(place, "place", limit: 500, required: false)
        self.onlineURL = try Validation.text(onlineURL, "online_url", limit: 2000, required: false)
        if !self.onlineURL.isEmpty && !(self.onlineURL.hasPrefix("https://") || self.onlineURL.hasPrefix("http://")) {
            throw RPCError.invalidField("online_url", "must be an http(s) link, is \"\(onlineURL)\"")
        }
        guard !self.place.isEmpty || !self.onlineURL.isEmpty else {
            throw RPCError.invalidField("place", "give a place, an online link, or both")
        }
        self.agenda = try Validation.text(agenda, "agenda", limit: 20_000, required: false)
        guard (1...10_000).contains(capacity) else { throw RPCError.invalidField("capacity", "must be 1–10000 seats, is \(capacity)") }
        self.capacity = Int(capacity)
    }
}
