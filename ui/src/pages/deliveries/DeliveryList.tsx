// Every delivery of the org, newest first.
import { DeliveryHistory } from "../../components/DeliveryHistory";

export const DeliveryList = () => <DeliveryHistory basePath="/deliveries" showWebhook />;
