// E-mail over SMTP (nodemailer): STARTTLS (587, required, not just tried), TLS from the start
// (465) or none (a relay on the LAN). Failures are worded for the channel's page: a refused
// login says so with the server's own answer ("SMTP login refused: 535 5.7.8 ...").
import nodemailer from "nodemailer";
import type { Outgoing } from "./send-types";
import { SEND_TIMEOUT_MS } from "./send-types";

export interface SmtpSettings {
  host: string;
  port: number;
  security: "starttls" | "tls" | "none";
  user: string;
  from: string;
  to: string[];
}

export async function sendEmail(s: SmtpSettings, password: string | null, m: Outgoing): Promise<void> {
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.security === "tls",
    requireTLS: s.security === "starttls",
    ignoreTLS: s.security === "none",
    auth: s.user ? { user: s.user, pass: password ?? "" } : undefined,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  try {
    await transport.sendMail({ from: s.from, to: s.to, subject: `[Switchyard] ${m.title}`, text: `${m.body}\n\n-- \nSwitchyard, channel "${m.channel}"\n` });
  } catch (e) {
    throw smtpFailure(s, e);
  } finally {
    transport.close();
  }
}

function smtpFailure(s: SmtpSettings, e: unknown): Error {
  const err = e as { code?: string; response?: string; responseCode?: number; message?: string };
  const answer = (err.response ?? err.message ?? String(e)).trim();
  if (err.code === "EAUTH") return new Error(`SMTP login refused: ${answer}`);
  if (err.code === "ECONNECTION" || err.code === "ETIMEDOUT" || err.code === "ESOCKET" || err.code === "EDNS") {
    return new Error(`cannot reach the SMTP server ${s.host}:${s.port}: ${err.message ?? answer}`);
  }
  if (err.code === "EENVELOPE") return new Error(`the SMTP server refused the sender or a recipient: ${answer}`);
  return new Error(`SMTP: ${answer}`);
}
