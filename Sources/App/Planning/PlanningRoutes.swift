import Domain
import Vapor

/// The planning board (issue #17, docs/planning.md): its API under `/api/v1/planning/`, registered by `routes`.
/// Every signed-in role may call it; an operator gets only his own row (`PlanningService.board`).
func registerPlanningAPI(_ signedIn: any RoutesBuilder) {
    let api = PlanningAPIController()
    signedIn.get("planning", use: api.board)
}

/// The planning board's pages («План», «Мои смены») and the operators' calendar feed, registered by
/// `registerWebRoutes`. `web` has the session but no sign-in guard (the feed is reached by its secret).
func registerPlanningPages(web: any RoutesBuilder, signedIn: any RoutesBuilder) {
    let pages = PlanningWebController()
    let board = signedIn.grouped(RequireSection(section: .planning))
    // A month of a large fleet is a big document of repetitive markup: sent gzip-compressed to browsers that accept it.
    let compressed = board.grouped(ResponseCompressionMiddleware(override: .enable))
    compressed.get("planning", use: pages.board)
    compressed.get("planning", "details", use: pages.details)
    // planning.js posts a dragged bar as JSON (CSRF in `X-CSRF-Token`).
    board.post("planning", "move", use: pages.move)
    // «Мои смены» and the calendar feed are the operators' own (`PlanningPolicy.keepsShifts`).
    let shifts = signedIn.grouped(RequireSection(section: .shifts))
    shifts.get("shifts", use: pages.shifts)
    shifts.get("profile", "calendar", use: pages.calendarSettings)
    shifts.post("profile", "calendar", "renew", use: pages.renewFeed)
    shifts.post("profile", "calendar", "revoke", use: pages.revokeFeed)
    web.get("calendar", ":file", use: pages.feed)
}
