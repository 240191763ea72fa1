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
    board.grouped(ResponseCompressionMiddleware(override: .enable)).get("planning", use: pages.board)
    // planning.js posts a dragged bar as JSON (CSRF in `X-CSRF-Token`).
    board.post("planning", "move", use: pages.move)
    signedIn.grouped(RequireSection(section: .shifts)).get("shifts", use: pages.shifts)
    signedIn.get("profile", "calendar", use: pages.calendarSettings)
    signedIn.post("profile", "calendar", "renew", use: pages.renewFeed)
    signedIn.post("profile", "calendar", "revoke", use: pages.revokeFeed)
    web.get("calendar", ":file", use: pages.feed)
}
