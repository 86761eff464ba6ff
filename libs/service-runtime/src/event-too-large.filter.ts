import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { EventTooLargeError } from '@modelreg/kafka';

/** A request whose event would exceed MAX_EVENT_BYTES: 413 naming the limit (its transaction rolled back, nothing recorded). */
@Catch(EventTooLargeError)
export class EventTooLargeFilter implements ExceptionFilter {
  catch(error: EventTooLargeError, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(HttpStatus.PAYLOAD_TOO_LARGE).json({ error: 'event_too_large', field: 'body', message: error.message, eventBytes: error.bytes, limitBytes: error.limit });
  }
}
