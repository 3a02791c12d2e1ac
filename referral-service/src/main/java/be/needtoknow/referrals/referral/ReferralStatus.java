package be.needtoknow.referrals.referral;

/**
 * The life of a referral or transfer (the shape of a FHIR Task): draft → ready (consent or a legal
 * basis on record) → sent → received → accepted / declined → closed; withdrawn from any state
 * before closed.
 */
public enum ReferralStatus {
    DRAFT, READY, SENT, RECEIVED, ACCEPTED, DECLINED, CLOSED, WITHDRAWN
}
